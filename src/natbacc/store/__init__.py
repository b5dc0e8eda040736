"""The natbacc store (see natbacc.store.snapshots)."""
