package serve

import "net/http"

func (s *Service) webRoutes() http.Handler { return http.NotFoundHandler() }
