"""Pure rules of the import of existing ledgers (issue 15): fields, header synonyms, cell forms, code values."""
