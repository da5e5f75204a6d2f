#!/usr/bin/env python3
"""Regenerates fixtures/gar/: good feeds from cmd/gargen, bad variants as
small edits of a 10-pupil generated feed, each carrying its inline
expectations (<!-- want GAR-00N status -->). Run from the repo root:
    python3 scripts/gar-fixtures.py
"""
import os, re, shutil, subprocess

base = '/tmp/sdetcheck-gar-base'
shutil.rmtree(base, ignore_errors=True)
shutil.rmtree('fixtures/gar', ignore_errors=True)
os.makedirs('fixtures/gar')
run = lambda *a: subprocess.run(['go', 'run', './cmd/gargen', *a], check=True, stdout=subprocess.DEVNULL)
run('-pupils', '60', '-out', 'fixtures/gar/good')
run('-pupils', '60', '-tar', '-out', 'fixtures/gar/good-tar')
run('-pupils', '10', '-out', base)

P = 'ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_'
UAI = re.search(r'GARStructureUAI>(\w+)<', open(f'{base}/{P}Etab_0000.xml').read()).group(1)


def variant(name, fn, args=None):
    d = f'fixtures/gar/{name}'
    shutil.copytree(base, d)
    fn(d)
    if args:
        open(d + '.args', 'w').write(args + '\n')


def edit(d, kind, f):
    p = f'{d}/{P}{kind}_0000.xml'
    s = open(p).read()
    s2 = f(s)
    assert s2 != s, (d, kind)
    open(p, 'w').write(s2)


def W(rule, st='fail'):
    return f'<!-- want {rule} {st} -->\n'


def after_root(s, c):
    i = s.index('Version="1.7">') + len('Version="1.7">\n')
    return s[:i] + c + s[i:]


def first_pupil(d):
    return re.search(r'<men:GARPersonIdentifiant>(\w+)<', open(f'{d}/{P}Eleve_0000.xml').read()).group(1)


def naming(d):
    os.rename(f'{d}/{P}Groupe_0000.xml', f'{d}/ENTFICTIF1_GAR-ENT_20261122_223000_2D_Groupe_0000.xml')
    edit(d, 'Etab', lambda s: after_root(s, W('GAR-001')))


variant('bad-naming', naming)
variant('bad-ident', lambda d: edit(d, 'Etab', lambda s: after_root(s, W('GAR-001'))), '--id-ent ENTAUTRE2')
variant('bad-degree', lambda d: edit(d, 'Etab', lambda s: after_root(s, W('GAR-002'))), '--degree 1D')
variant('bad-version', lambda d: edit(d, 'RespAff', lambda s: s.replace(' Version="1.7">', '>\n' + W('GAR-004') + W('GAR-005'), 1)))


def md5(d):
    shutil.rmtree(d)
    shutil.copytree('fixtures/gar/good-tar', d)
    p = f'{d}/ENTFICTIF1_GAR-ENT_Complet_20261122_223000.md5'
    open(p, 'w').write('0' * 32 + '\n')


variant('bad-md5', md5)


def schema(d):
    def f(s):
        s = after_root(s, W('GAR-005'))
        m = re.search(r'<men:GARMatiere>.*?</men:GARMatiere>\n', s)  # duplicate key
        s = s[:m.end()] + m.group(0) + s[m.end():]
        return s.replace('<men:GARStructureContrat>PU</men:GARStructureContrat>',
                         '<men:GARStructureContrat>PU</men:GARStructureContrat><men:GARStructureFax>0500000000</men:GARStructureFax>', 1)
    edit(d, 'Etab', f)


variant('bad-schema', schema)
variant('bad-uai-ref', lambda d: edit(d, 'RespAff', lambda s: after_root(
    re.sub(r'<men:GARRespAffEtab>\w+</men:GARRespAffEtab>', '<men:GARRespAffEtab>0861002X</men:GARRespAffEtab>', s), W('GAR-006'))))


def dup_person(d):
    pid = first_pupil(d)
    edit(d, 'Enseignant', lambda s: after_root(
        re.sub(r'(<men:GAREnseignant><men:GARPersonIdentifiant>)\w+(<)', r'\g<1>' + pid + r'\2', s, count=1), W('GAR-007')))


variant('bad-dup-person', dup_person)
variant('bad-group-link', lambda d: edit(d, 'Groupe', lambda s: after_root(
    s.replace('<men:GARGroupeCode>6A</men:GARGroupeCode></men:GARPersonGroupe>', '<men:GARGroupeCode>6Z</men:GARGroupeCode></men:GARPersonGroupe>', 1), W('GAR-008'))))
variant('bad-division', lambda d: edit(d, 'Groupe', lambda s: after_root(
    s.replace('<men:GARGroupeDivAppartenance>6A</men:GARGroupeDivAppartenance>', '<men:GARGroupeDivAppartenance>6Q</men:GARGroupeDivAppartenance>', 1), W('GAR-009'))))


def group_conflict(d):
    """Division 6A declared again, as a GROUPE, in a second Groupe file,
    with a teacher's GAREnsGroupeMatiere naming it: duplicate (GAR-008) and
    conflicting status (GAR-009), whatever order the files are read in."""
    s = open(f'{d}/{P}Groupe_0000.xml').read()
    head = s[:s.index('Version="1.7">') + len('Version="1.7">\n')]
    div = re.search(r'<men:GARGroupe><men:GARGroupeCode>6A</men:GARGroupeCode>.*?</men:GARGroupe>\n', s).group(0)
    ens = re.search(r'<men:GAREnsClasseMatiere>.*?</men:GAREnsClasseMatiere>\n', s).group(0)
    body = div.replace('>DIVISION<', '>GROUPE<') + ens.replace('GAREnsClasseMatiere', 'GAREnsGroupeMatiere')
    open(f'{d}/{P}Groupe_0001.xml', 'w').write(head + W('GAR-008') + W('GAR-009') + body + '</men:GAR-ENT-Groupe>\n')


variant('bad-group-conflict', group_conflict)
variant('bad-matiere', lambda d: edit(d, 'Eleve', lambda s: after_root(
    s.replace('<men:GARMatiereCode>030201</men:GARMatiereCode>', '<men:GARMatiereCode>999999</men:GARMatiereCode>', 1), W('GAR-010'))))


def uai_format(d):
    bad = UAI[:7] + ('A' if UAI[7] != 'A' else 'B')
    for k in ['Etab', 'Eleve', 'Enseignant', 'Groupe', 'RespAff']:
        edit(d, k, lambda s: s.replace(UAI, bad))
    edit(d, 'Etab', lambda s: after_root(s, W('GAR-011')))


variant('bad-uai-format', uai_format)
variant('bad-profile', lambda d: edit(d, 'Enseignant', lambda s: after_root(
    s.replace('National_ens', 'NATIONAL_ENS', 1).replace('National_ens', 'National_prof', 1), W('GAR-012') + W('GAR-012', 'warn'))))
variant('bad-civilite', lambda d: edit(d, 'Eleve', lambda s: after_root(
    s.replace('<men:GARPersonCivilite>Mme<', '<men:GARPersonCivilite>Mlle<', 1), W('GAR-013'))))
variant('bad-birthdate', lambda d: edit(d, 'Eleve', lambda s: after_root(
    re.sub(r'<men:GARPersonDateNaissance>20\d\d', '<men:GARPersonDateNaissance>1911', s, count=1), W('GAR-014'))))


def minimisation(d):
    pid = first_pupil(d)
    def f(s):
        s = after_root(s, W('GAR-015')).replace(pid, '1234567890A')
        return s.replace('<men:GARPersonAutresPrenoms>', '<men:GARPersonAutresPrenoms>lou.fictif@example.org</men:GARPersonAutresPrenoms><men:GARPersonAutresPrenoms>', 1)
    edit(d, 'Eleve', f)
    edit(d, 'Groupe', lambda s: s.replace(pid, '1234567890A'))


variant('bad-minimisation', minimisation)


def kinds(d):
    os.remove(f'{d}/{P}RespAff_0000.xml')
    edit(d, 'Etab', lambda s: after_root(s, W('GAR-016')))


variant('bad-kinds', kinds)

OPENENT_ROOT = (' xmlns:men="http://data.education.fr/ns/gar" xmlns:xalan="http://xml.apache.org/xalan"'
                ' xmlns:xslFormatting="urn:xslFormatting" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
                ' Version="1.0" xsi:schemaLocation="http://data.education.fr/ns/gar GAR-ENT.xsd"')


def indent(s):
    """One element per line, two spaces per level, text-only elements on
    one line (Java's Transformer, INDENT=yes, indent-amount 2)."""
    out, depth = [], 0
    for tok in re.findall(r'<\?[^>]*\?>|<!--.*?-->|</[^>]+>|<[^>]+/>|<[^>]+>[^<]*</[^>]+>|<[^>]+>', s):
        if tok.startswith('<?') or tok.startswith('<!--'):
            out.append(tok)
        elif tok.startswith('</'):
            depth -= 1
            out.append('  ' * depth + tok)
        elif tok.endswith('/>') or re.match(r'<[^>]+>[^<]*</', tok):
            out.append('  ' * depth + tok)
        else:
            out.append('  ' * depth + tok)
            depth += 1
    return '\n'.join(out) + '\n'


def real_shapes(d):
    """Shapes of public exporters, all conformant: OPEN-ENT-NG gar-connector
    files (standalone="no", unused namespaces, schema location,
    Version="1.0", indentation, GARPersonNomPatro, teachers' GARPersonMail,
    an administrative attachment outside the export, an empty last split
    file) and AC-Rennes alambic values (birth dates with the JVM's offset,
    an attachment left empty)."""
    for k in ['Etab', 'Eleve', 'Enseignant', 'Groupe', 'RespAff']:
        def f(s, k=k):
            s = s.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8" standalone="no"?>', 1)
            s = s.replace(' xmlns:men="http://data.education.fr/ns/gar" Version="1.7"', OPENENT_ROOT, 1)
            if k == 'Etab':
                s = s.replace('<men:GAR-ENT-Etab', '<!-- want GAR-006 pass --><!-- want GAR-014 pass --><!-- want GAR-011 pass -->\n<men:GAR-ENT-Etab', 1)
            if k == 'Enseignant':
                s = s.replace('<men:GARPersonNom>', '<men:GARPersonNomPatro>Essai</men:GARPersonNomPatro><men:GARPersonNom>')
                s = s.replace('</men:GAREnsDisciplinesPostes></men:GAREnseignant>', '</men:GAREnsDisciplinesPostes><men:GARPersonMail>prof.essai@ac-fictif.fr</men:GARPersonMail></men:GAREnseignant>')
                s = s.replace(f'<men:GARPersonStructRattach>{UAI}<', '<men:GARPersonStructRattach>0750654D<', 1)
                s = s.replace(f'<men:GARPersonStructRattach>{UAI}<', '<men:GARPersonStructRattach><', 1)
            if k == 'Eleve':
                s = re.sub(r'(<men:GARPersonDateNaissance>\d{4}-\d\d-\d\d)(<)', r'\1+01:00\2', s)
            return indent(s)
        edit(d, k, f)
    open(f'{d}/{P}Eleve_0001.xml', 'w').write('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<men:GAR-ENT-Eleve' + OPENENT_ROOT + '/>\n')


variant('good-shapes', real_shapes)
shutil.rmtree(base)
