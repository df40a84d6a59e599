"""Enregistrement des formations des conducteurs professionnels (FIMO, FCO, passerelle, formation longue,
Éducation nationale), leurs certificats de qualification et l'espace conducteur (seed 003).

Ce premier état ne contient que les règles de contrôle (services/controls.py, services/rules.py) : le
module n'est pas encore déclaré comme point d'entrée `socle.plugins`."""
