"""Every change to recognition data goes through a function here (keyword-only, `by` the
acting user): the fund (`fund`), the shared panel mechanism (`panels`), the awards scheme
(`awards`) and outputs (`outputs`). The names of DESIGN.md are importable from here."""

from recognition.services.awards import (  # noqa: F401
    award_nomination,
    decline_nomination,
    give_testimony,
    nominate,
    request_testimony,
    review_nomination,
    round_for,
    save_category,
    set_award_consent,
    set_up_round,
)
from recognition.services.fund import (  # noqa: F401
    award_fund_application,
    check_limits,
    claim_fund_application,
    create_fund_application,
    decline_fund_application,
    open_call,
    pay_fund_application,
    remaining_pot,
    review_fund_application,
    submit_fund_application,
    submit_fund_report,
    update_fund_application,
    withdraw_fund_award,
)
from recognition.services.outputs import (  # noqa: F401
    confirm_work,
    import_orcid_works,
    record_output,
    remove_contribution,
    update_contribution,
)
