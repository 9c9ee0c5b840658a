"""The lifecycle, gates, policies, waivers and documents as pure rules."""
