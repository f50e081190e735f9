from doctor.deploys.models import Deploy
from doctor.deploys.service import deploys_for, record, regression_note, suspect_deploy

__all__ = ["Deploy", "deploys_for", "record", "regression_note", "suspect_deploy"]
