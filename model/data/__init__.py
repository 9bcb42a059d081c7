"""The 2-D datasets: built-in toy sets and a user's CSV file, by name, with their grid lines."""
