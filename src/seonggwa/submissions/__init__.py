"""What the evaluated organisation submits before its deadline: documents through Django's storage API and quantitative actuals."""
