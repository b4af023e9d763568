"""The Django groups of DESIGN.md. Group names are part of the contract."""

TECHNICIAN = "Technician"
STEERING_GROUP = "Steering group"
TRAINING_COORDINATOR = "Training coordinator"
HR = "HR"
ADMINISTRATOR = "Administrator"

ALL_GROUPS = (TECHNICIAN, STEERING_GROUP, TRAINING_COORDINATOR, HR, ADMINISTRATOR)
