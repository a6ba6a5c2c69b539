"""The Expert Operator Certification screens: a person's page, its forms, the team overview."""
