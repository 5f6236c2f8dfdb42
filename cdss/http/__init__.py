"""The HTTP front door: CDS Hooks 2.0 and FHIR R4 beside gRPC (see app.py)."""
