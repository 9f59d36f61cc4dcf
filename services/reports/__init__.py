"""services.reports.summary"""
