"""Pure payment logic: the platform's checksums and messages, fees, receipts."""
