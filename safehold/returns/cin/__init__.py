"""The DfE child in need census: export from the record, validation by our own rules, import."""
