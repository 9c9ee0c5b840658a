"""charter objectives | usecases | portfolio | kpi | delivery"""
