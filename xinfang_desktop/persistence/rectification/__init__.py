"""挂牌整治 (R-AS-02): the listings of townships and units from the quarterly ranking and their task chain."""
