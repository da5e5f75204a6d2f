#!/usr/bin/env python3
"""Regenerates the binary contract fixtures (DOCX, PDF) from their sources
in fixtures/contract/src/. DOCX files are written by hand (zipfile, fixed
dates: byte-identical on every run); PDFs are printed from HTML by
chromium-headless-shell. Run from the repo root:
    python3 scripts/contract-fixtures.py
All names, addresses and companies are fictitious.
"""
import html
import os
import shutil
import subprocess
import zipfile

SRC = 'fixtures/contract/src'
W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'


def run(text, bold=False):
    rpr = '<w:rPr><w:b/></w:rPr>' if bold else ''
    return f'<w:r>{rpr}<w:t xml:space="preserve">{html.escape(text, quote=False)}</w:t></w:r>'


def para(text, style=None, numbered=False):
    ppr = ''
    if style or numbered:
        ppr = '<w:pPr>'
        if style:
            ppr += f'<w:pStyle w:val="{style}"/>'
        if numbered:
            ppr += '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
        ppr += '</w:pPr>'
    return f'<w:p>{ppr}{run(text)}</w:p>'


def table(rows, header=True):
    out = ['<w:tbl><w:tblPr><w:tblStyle w:val="Grilledutableau"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>']
    for i, r in enumerate(rows):
        trpr = '<w:trPr><w:tblHeader/></w:trPr>' if header and i == 0 else ''
        cells = ''.join(f'<w:tc><w:p>{run(c, bold=header and i == 0)}</w:p></w:tc>' for c in r)
        out.append(f'<w:tr>{trpr}{cells}</w:tr>')
    out.append('</w:tbl>')
    return ''.join(out)


def docx(path, body, title, date='2026-09-01T09:00:00Z'):
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           f'<w:document xmlns:w="{W}"><w:body>{body}<w:sectPr/></w:body></w:document>')
    parts = {
        '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '</Types>',
        '_rels/.rels': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        '</Relationships>',
        'word/document.xml': doc,
        'docProps/core.xml': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f'<dc:title>{html.escape(title)}</dc:title>'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified>'
        '</cp:coreProperties>',
    }
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 9, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, content.encode('utf-8'))


def dpa_1d(breach):
    """The first degree's data processing agreement: its commitments in a
    table of obligations, written in the passive voice."""
    return ''.join([
        para('Accord de traitement des données (DPA) — ENT Écoles de Ville-Fictive', 'Titre1'),
        para('Accord conclu entre la Commune de Ville-Fictive, responsable du traitement, ci-après « la commune », '
             'et Primaire Numérique Fictif SARL, 3 allée des Tests, 79000 Niort, ci-après « le prestataire », '
             'pour l\'espace numérique de travail des écoles (https://ent.ville-fictive.example). Version du 1er septembre 2026.'),
        para('1. Engagements du prestataire', 'Titre2'),
        table([
            ['Obligation', 'Engagement du prestataire'],
            ['Instructions', 'Les données sont traitées par le prestataire exclusivement sur instructions documentées de la commune.'],
            ['Confidentialité', 'Chaque intervenant du prestataire ayant accès aux données est tenu à une obligation de confidentialité signée.'],
            ['Sécurité', 'Des mesures techniques et organisationnelles au sens de l\'article 32 du RGPD sont appliquées, dont le chiffrement des sauvegardes, conformément au RGS.'],
            ['Droits des personnes', 'Les demandes d\'exercice des droits reçues par le prestataire sont transmises à la commune, que le prestataire assiste pour y répondre.'],
            ['Analyses d\'impact', 'Le prestataire fournit à la commune l\'aide nécessaire à la réalisation de l\'analyse d\'impact et à la consultation préalable de la CNIL (articles 32 à 36 du RGPD).'],
            ['Violations de données', breach],
            ['Audits', 'La commune peut procéder ou faire procéder à des audits et inspections, sur préavis de quinze jours.'],
            ['Localisation', 'Les données et leurs copies de sauvegarde sont stockées dans des centres de données situés dans l\'Union européenne (France et Belgique) ; aucun transfert hors de l\'Union n\'est autorisé.'],
            ['Usage des données', 'Les données ne sont ni vendues, ni utilisées à des fins publicitaires, de profilage ou de prospection, y compris sous forme agrégée.'],
            ['Fin du contrat', 'À l\'expiration du contrat, l\'intégralité des données, y compris les sauvegardes, est restituée à la commune puis effacée dans un délai de soixante jours.'],
        ]),
        para('2. Sous-traitance ultérieure', 'Titre2'),
        para('Le recours à un sous-traitant ultérieur est soumis à l\'accord écrit et préalable de la commune. '
             'Les sous-traitants ultérieurs acceptés à la signature sont :'),
        table([
            ['Sous-traitant', 'Activité', 'Localisation'],
            ['Nuage Fictif SA', 'hébergement', 'Belgique'],
            ['Assistance Fictive SAS', 'support technique de niveau 2', 'France'],
        ]),
        para('3. Contacts', 'Titre2'),
        table([
            ['Rôle', 'Contact'],
            ['Délégué à la protection des données du prestataire', 'dpd@primaire-numerique-fictif.example'],
            ['Délégué à la protection des données de la commune', 'dpo@ville-fictive.example'],
        ]),
    ])


GOOD_BREACH = 'Toute violation de données à caractère personnel et tout incident de sécurité sont notifiés à la commune dans un délai de vingt-quatre (24) heures.'
VAGUE_BREACH = 'Toute violation de données à caractère personnel est notifiée à la commune dans les meilleurs délais.'


def pdf(src, out):
    chrome = shutil.which('chromium-headless-shell') or '/usr/lib/chromium/chromium-headless-shell'
    subprocess.run([chrome, '--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer',
                    f'--print-to-pdf={out}', 'file://' + os.path.abspath(src)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


docx('fixtures/contract/contrat-conforme.docx', dpa_1d(GOOD_BREACH), 'DPA ENT Écoles de Ville-Fictive')
docx('fixtures/dossiers/conforme-1d/contrat/accord-traitement-donnees.docx', dpa_1d(GOOD_BREACH), 'DPA ENT Écoles de Ville-Fictive')
docx('fixtures/contract/contrat-meilleurs-delais.docx', dpa_1d(VAGUE_BREACH), 'DPA ENT Écoles de Ville-Fictive')
pdf(f'{SRC}/conforme-annexe-rgpd.html', 'fixtures/contract/contrat-conforme.pdf')
pdf(f'{SRC}/conforme-annexe-rgpd.html', 'fixtures/dossiers/conforme/contrat/annexe-3-sous-traitance.pdf')
pdf(f'{SRC}/conforme-pas.html', 'fixtures/dossiers/conforme/contrat/plan-assurance-securite.pdf')
pdf(f'{SRC}/tableau-sous-traitants.html', 'fixtures/contract/tableau-sous-traitants.pdf')
