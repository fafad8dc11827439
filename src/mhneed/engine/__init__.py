"""The engine: population × rate table → estimate, its ranges, and how cells combine."""
