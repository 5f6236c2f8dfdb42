"""Generated from protos/cdss/v1 by scripts/gen_protos.py. Do not edit."""
