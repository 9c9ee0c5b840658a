"""charter import | integrations | lineage | bom | discover | discovery"""
