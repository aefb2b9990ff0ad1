"""The cycle after a submission (issue 16): the province's evaluation (its score sheet and
its report, read and matched to indicators), self score against province score, the
rectification items (整改事项) made from what the province found, self-assessment
checkpoints (自查) and rounds. Floor 4: reads tables through storage.tables and the
catalogue below it."""
