"""Inputs: the population or births a user brings, its checks, and the ONS and Nomis readers."""
