# Owned by the directory work (being written).
