package report

import "fmt"

// This file draws the PDF report's other sections: identification,
// method and limits, annexes and signatures.

func (d pdfDoc) identification() {
	v := d.v
	d.section(v.T("1. Identification", "1. Identification"), true)
	for _, s := range v.Ident {
		d.font("B", 9.5)
		d.cell(82, 6, s[0], "", 0, "L", false)
		d.font("", 9.5)
		d.mc(pdfWidth-82, 6, s[1], "", "L", false)
	}
}

func (d pdfDoc) method() {
	v := d.v
	d.Ln(4)
	d.section(v.T("2. Méthode et limites", "2. Method and limits"), false)
	for _, a := range v.Areas {
		if a.Method == "" {
			continue
		}
		// The area's name stays with its first two lines.
		if d.GetY()+5.2+2*5 > 297-20 {
			d.AddPage()
		}
		d.font("B", 9.5)
		d.mc(pdfWidth, 5.2, a.Title, "", "L", false)
		d.SetX(pdfMargin + 4)
		d.font("", 9.5)
		d.mc(pdfWidth-4, 5, a.Method, "", "L", false)
		d.Ln(1)
	}
	d.Ln(2)
	d.font("B", 10.5)
	d.mc(pdfWidth, 6, v.T("Limites", "Limits"), "", "L", false)
	for _, l := range v.Limits {
		d.font("", 9.5)
		d.mc(pdfWidth, 5, "• "+l, "", "L", false)
	}
}

func (d pdfDoc) annexes() {
	v := d.v
	d.section(v.T("4. Annexes", "4. Annexes"), true)
	d.sub(v.T("A. Pièces examinées", "A. Pieces examined"))
	d.font("", 8.5)
	d.mc(pdfWidth, 4.4, v.Fingerprint, "", "L", false)
	d.Ln(2)
	for _, in := range v.Inputs {
		if d.GetY() > 262 {
			d.AddPage()
		}
		d.font("B", 8.5)
		d.mc(pdfWidth, 4.4, d.breakTokens(fmt.Sprintf("%s (%s)", in.Source, plural(int(in.Size), v.T("octet", "byte"), v.T("octets", "bytes"))), pdfWidth), "", "L", false)
		d.font("", 7.5)
		d.colour(rgb{80, 80, 80})
		d.mc(pdfWidth, 4, "SHA-256 "+in.SHA256, "", "L", false)
		d.black()
		d.Ln(1)
	}
	d.sub(v.T("B. Glossaire", "B. Glossary"))
	// The term column fits the longest term on one line.
	termW := 24.0
	d.font("B", 9)
	for _, g := range v.Glossary {
		termW = max(termW, d.GetStringWidth(pdfSafe(g[0]))+3)
	}
	for _, g := range v.Glossary {
		d.defRow(termW, g[0], g[1])
	}
	d.sub(v.T("C. Légende des sévérités", "C. Severities"))
	for _, g := range v.SevLegend {
		d.defRow(24, g[0], g[1])
	}
	d.sub(v.T("D. Légende des avis", "D. Verdicts"))
	for _, g := range v.VerdLegend {
		d.defRow(58, g[0], g[1])
	}
}

func (d pdfDoc) visas() {
	v := d.v
	d.section(v.T("5. Visas", "5. Signatures"), true)
	box := func(title string, lines []string) {
		if d.GetY() > 220 {
			d.AddPage()
		}
		d.font("B", 10.5)
		d.mc(pdfWidth, 6, title, "", "L", false)
		for _, l := range lines {
			d.font("", 9.5)
			d.mc(pdfWidth, 5.5, l, "", "L", false)
		}
		d.Ln(1)
		d.SetDrawColor(60, 60, 60)
		d.font("", 8.5)
		// The label sits inside the box, clear of its top edge.
		x, y := d.GetX(), d.GetY()
		d.Rect(x, y, pdfWidth/2, 24, "D")
		d.SetXY(x, y+1.2)
		d.cell(pdfWidth/2, 4, v.T("Signature et cachet", "Signature and stamp"), "", 0, "L", false)
		d.SetXY(pdfMargin, y+24)
		d.Ln(4)
	}
	rep := v.Representative
	if rep == "" {
		rep = "________________________________"
	}
	box(v.T("Visa de la collectivité", "Local authority approval"), []string{
		v.T("Collectivité : ", "Local authority: ") + v.Collectivite,
		v.T("Représentant : ", "Representative: ") + rep,
		v.T("Fait à ________________________, le ____________", "Signed at ________________________, on ____________"),
	})
	box(v.T("Visa de l'éditeur", "Vendor approval"), []string{
		v.T("Éditeur : ", "Vendor: ") + v.Vendor,
		v.T("Pris connaissance du rapport ; s'engage à corriger les écarts au plus tard le ____________", "Has read the report; undertakes to fix the gaps by ____________"),
	})
	box(v.T("Visa de la DSDEN", "DSDEN approval"), []string{
		v.T("Avis : ☐ favorable   ☐ favorable avec réserves   ☐ défavorable", "Opinion: ☐ favourable   ☐ with reservations   ☐ unfavourable"),
		v.T("Date : ____________", "Date: ____________"),
	})
}
