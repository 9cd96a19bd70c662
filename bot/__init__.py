"""NGO Bridge: a Telegram bot that connects socially oriented NGOs across the CIS."""
