"""Engine test support: fixture models, the exact DP solver, the user simulator, vignettes."""
