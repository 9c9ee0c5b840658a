"""Default sizes shared by the settings, the composition root and the capabilities that
enforce them (a module of constants: importing it loads nothing else)."""

#: bytes a policy file may hold unless CHARTER_POLICY_FILE_BYTES says otherwise (the largest
#: file Charter ships holds 30,000)
POLICY_FILE_BYTES = 256_000
