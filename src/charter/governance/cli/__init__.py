"""charter transitions | policies | gate | posture | waivers | documents | readiness"""
