"""Fault injection for cytoskel's tests: a loopback HTTP proxy (proxy.py)."""
