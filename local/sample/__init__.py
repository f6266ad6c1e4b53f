"""The sample lake: generated landed files with every kind of mess, and the gold they must give."""
