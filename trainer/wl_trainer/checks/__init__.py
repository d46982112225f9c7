"""The checks ``python -m wl_trainer check --config FILE`` runs, one module each."""
