"""Pure domain core: rules, calendar, deadlines, validators and services — standard library only.

Glossary (../shared/domain/GLOSSARY.md): 信访事项 = Case, 信访件 = Submission, 信访人 = Petitioner,
台账 = ledger, 信访形式 = channel, 信访目的 = purpose, 问题属地 = locality, 责任单位 = Unit.
"""
