"""services.people"""
