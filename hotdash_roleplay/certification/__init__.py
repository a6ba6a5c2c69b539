"""The Expert Operator Certification of the Advanced Operator Training, Qt-free: the program's
facts, weekly metrics and their runs, the requirements, the process steps and the CSV of weekly
figures. The store and the use cases are in services/certification.py."""
