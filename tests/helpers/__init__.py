"""What several test modules share: lakes, landed files, AWS settings, ground truth."""
