"""The partner finder: kinds, rules, scoring parameters, reasons and the partner map."""
