"""Reading, validating and point-in-time features of CRM data, and the synthetic CRM."""
