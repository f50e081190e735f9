"""The patient: a small paper-trading stack (collector, strategy, executor, dashboard) whose
logs the doctor reads, and which can be made sick on purpose (`patient_app.chaos`)."""
