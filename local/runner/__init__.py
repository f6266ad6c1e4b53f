"""Running the lake here: the command line (`python -m local`), the pipeline of jobs, the run
summary, and starting a job script the way Glue starts it."""
