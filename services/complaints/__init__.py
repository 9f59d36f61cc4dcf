"""services.complaints.register"""
