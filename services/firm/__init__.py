"""services.firm"""
