"""The pages that compose the apps: home, sign-in, the language switch."""
