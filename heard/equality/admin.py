# Deliberately not in the admin: equality answers are read in aggregate only
# (heard.equality.services.summary), never one by one.
