"""信访工作台 (xinfang_desktop): case ledger, deadlines and documents for county petition offices."""

__version__ = "0.1.0"
APP_NAME = "xinfang-desktop"
APP_LABEL = "信访工作台"
ORG_NAME = "xinfang"
