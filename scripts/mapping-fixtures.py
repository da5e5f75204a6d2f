#!/usr/bin/env python3
"""Regenerates fixtures/mapping/ from fixtures/mapping/mapping.yaml (the
hand-written good declaration): AAF samples and a consistent GAR feed from
cmd/gargen, bad declarations as small edits with inline expectations
(# want MAP-00N fail), and gar-bad/, a feed that does not follow the
declaration. Run from the repo root: python3 scripts/mapping-fixtures.py
"""
import re, shutil, subprocess

M = 'fixtures/mapping/'
for d in ('gar', 'aaf', 'gar-bad'):
    shutil.rmtree(M + d, ignore_errors=True)
subprocess.run(['go', 'run', './cmd/gargen', '-pupils', '30', '-out', M + 'gar', '-aaf', M + 'aaf'], check=True, stdout=subprocess.DEVNULL)
open(M + 'mapping.yaml.args', 'w').write('--aaf $ROOT/fixtures/mapping/aaf --gar $ROOT/fixtures/mapping/gar --degree 2D\n')

good = open(M + 'mapping.yaml').read()
head = '# Variante fautive de mapping.yaml.\n'


def bad(name, rule, edits, drop=()):
    s = good.replace('degree: 2D', f'degree: 2D\n# want {rule} fail')
    for a, b in edits:
        assert a in s, (name, a)
        s = s.replace(a, b, 1)
    s = '\n'.join(l for l in s.split('\n') if not any(d in l for d in drop))
    open(M + name, 'w').write(head + s)


bad('bad-format.yaml', 'MAP-001', [
    ('transform: civilite}', 'transform: titre}'),
    ('  - {gar: GAREtab/GARStructureContrat, ent: ENTEtablissementContrat', '  - {ent: ENTEtablissementContrat')])
bad('bad-incomplete.yaml', 'MAP-002', [], drop=('GAREleve/GARPersonAutresPrenoms', 'GARGroupe/GARGroupeStatut'))
bad('bad-names.yaml', 'MAP-003', [
    ('{gar: GAREleve/GARPersonNom, ent: sn, aaf: [sn], transform: copy}', '{gar: GAREleve/GARPersonNom, ent: ENTPersonNomUsage, aaf: [nomUsage], transform: copy}')])
bad('bad-minimisation.yaml', 'MAP-004', [('  # --- Enseignants (GAREnseignant) ---', '''  - {gar: GAREleve/GARPersonMail, ent: mail, aaf: [mail], transform: copy}
  - {gar: GAREleve/GARPersonIdSecondaire, ent: ENTEleveINE, aaf: [ENTEleveINE], transform: copy}
  - {gar: GAREleve/GARPersonNomPatro, ent: ENTPersonNomPatro, aaf: [homePhone], transform: copy}
  # --- Enseignants (GAREnseignant) ---''')])
bad('bad-transforms.yaml', 'MAP-005', [
    ('aaf: [ENTPersonDateNaissance], transform: date}', 'aaf: [ENTPersonDateNaissance], transform: copy}'),
    ('{gar: GAREleve/GARPersonStructRattach, ent: ENTPersonStructRattach, aaf: [ENTPersonStructRattach], transform: uai}',
     '{gar: GAREleve/GARPersonStructRattach, ent: ENTPersonStructRattach, aaf: [ENTPersonStructRattach], transform: copy}'),
    ('{gar: GAREnseignant/GARPersonCivilite, ent: personalTitle, aaf: [personalTitle], transform: civilite}',
     '{gar: GAREnseignant/GARPersonCivilite, ent: personalTitle, aaf: [personalTitle], transform: copy}'),
    ('aaf: [ENTPersonFonctions], transform: profile, field: 2}', 'aaf: [ENTPersonFonctions], transform: copy}')])
s = good.replace('degree: 2D', 'degree: 2D\n# want MAP-006 fail')
open(M + 'bad-samples.yaml', 'w').write("# Correspondance correcte, mais le flux gar-bad/ ne la suit pas (date jour/mois inversés, UAI non traduit, division d'un élève erronée).\n" + s)
open(M + 'bad-samples.yaml.args', 'w').write('--aaf $ROOT/fixtures/mapping/aaf --gar $ROOT/fixtures/mapping/gar-bad --degree 2D\n')

shutil.copytree(M + 'gar', M + 'gar-bad')
P = M + 'gar-bad/ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_'
x = open(P + 'Eleve_0000.xml').read()
x2 = re.sub(r'<men:GARPersonDateNaissance>(\d{4})-(\d\d)-(0[1-9]|1[0-2])<', r'<men:GARPersonDateNaissance>\1-\3-\2<', x, count=1)
assert x2 != x
uai = re.search(r'<men:GARPersonStructRattach>(\w+)<', x2).group(1)
x3 = x2.replace(f'<men:GARPersonStructRattach>{uai}<', '<men:GARPersonStructRattach>52000<', 1)
open(P + 'Eleve_0000.xml', 'w').write(x3)
g = open(P + 'Groupe_0000.xml').read()
old = '<men:GARGroupeCode>6A</men:GARGroupeCode></men:GARPersonGroupe>'
g = g.replace(old, '<men:GARGroupeCode>5A</men:GARGroupeCode></men:GARPersonGroupe>', 1)
open(P + 'Groupe_0000.xml', 'w').write(g)
