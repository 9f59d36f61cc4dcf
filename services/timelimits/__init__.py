"""services.timelimits.clocks"""
