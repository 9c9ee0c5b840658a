"""People side: leadership bodies, meetings and decisions; skills, courses and training;
adoption, surveys and communications; iterations and experiments.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bodies",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("charter", sa.Text(), nullable=False),
        sa.Column("required_functions", sa.JSON(), nullable=False),
        sa.Column("quorum", sa.Integer(), nullable=False),
        sa.Column("cadence_days", sa.Integer(), nullable=False),
        sa.Column("remit", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bodies")),
        sa.UniqueConstraint("name", name=op.f("uq_bodies_name")),
    )
    op.create_table(
        "courses",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("literacy", sa.Boolean(), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("skill_ids", sa.JSON(), nullable=False),
        sa.Column("validity_months", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
        sa.UniqueConstraint("title", name=op.f("uq_courses_title")),
    )
    op.create_table(
        "skills",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skills")),
        sa.UniqueConstraint("name", name=op.f("uq_skills_name")),
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("body_id", sa.String(length=40), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attendees", sa.JSON(), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("agenda", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_meetings_body_id_bodies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    op.create_index(op.f("ix_meetings_body_id"), "meetings", ["body_id"], unique=False)
    op.create_table(
        "role_skills",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("skill_id", sa.String(length=40), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["skill_id"], ["skills.id"], name=op.f("fk_role_skills_skill_id_skills")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_skills")),
        sa.UniqueConstraint("role", "skill_id", name="uq_role_skills_role_skill"),
    )
    op.create_index(op.f("ix_role_skills_skill_id"), "role_skills", ["skill_id"], unique=False)
    op.create_table(
        "body_decisions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("body_id", sa.String(length=40), nullable=False),
        sa.Column("meeting_id", sa.String(length=40), nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("carried", sa.Boolean(), nullable=False),
        sa.Column("votes", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=40), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("record_id", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_body_decisions_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_body_decisions_meeting_id_meetings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_body_decisions")),
    )
    op.create_index(op.f("ix_body_decisions_body_id"), "body_decisions", ["body_id"], unique=False)
    op.create_index(
        op.f("ix_body_decisions_meeting_id"), "body_decisions", ["meeting_id"], unique=False
    )
    op.create_index(
        op.f("ix_body_decisions_subject_id"), "body_decisions", ["subject_id"], unique=False
    )
    op.create_table(
        "body_members",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("body_id", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("function", sa.String(length=30), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_body_members_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_body_members_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_body_members")),
        sa.UniqueConstraint("body_id", "person_id", name="uq_body_members_body_person"),
    )
    op.create_index(op.f("ix_body_members_body_id"), "body_members", ["body_id"], unique=False)
    op.create_index(op.f("ix_body_members_person_id"), "body_members", ["person_id"], unique=False)
    op.create_table(
        "completions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("course_id", sa.String(length=40), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=40), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_completions_course_id_courses")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_completions_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_completions")),
    )
    op.create_index(op.f("ix_completions_course_id"), "completions", ["course_id"], unique=False)
    op.create_index(op.f("ix_completions_person_id"), "completions", ["person_id"], unique=False)
    op.create_table(
        "person_skills",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("skill_id", sa.String(length=40), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("assessed_by", sa.String(length=40), nullable=False),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_person_skills_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"], ["skills.id"], name=op.f("fk_person_skills_skill_id_skills")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_skills")),
        sa.UniqueConstraint("person_id", "skill_id", name="uq_person_skills_person_skill"),
    )
    op.create_index(
        op.f("ix_person_skills_person_id"), "person_skills", ["person_id"], unique=False
    )
    op.create_index(op.f("ix_person_skills_skill_id"), "person_skills", ["skill_id"], unique=False)
    op.create_table(
        "adoption",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("system_id", sa.String(length=40), nullable=False),
        sa.Column("business_unit_id", sa.String(length=40), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("active_users", sa.Integer(), nullable=False),
        sa.Column("eligible_users", sa.Integer(), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(length=40), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_unit_id"],
            ["business_units.id"],
            name=op.f("fk_adoption_business_unit_id_business_units"),
        ),
        sa.ForeignKeyConstraint(
            ["system_id"], ["systems.id"], name=op.f("fk_adoption_system_id_systems")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adoption")),
        sa.UniqueConstraint(
            "system_id", "business_unit_id", "period", name="uq_adoption_system_unit_period"
        ),
    )
    op.create_index(
        op.f("ix_adoption_business_unit_id"), "adoption", ["business_unit_id"], unique=False
    )
    op.create_index(op.f("ix_adoption_system_id"), "adoption", ["system_id"], unique=False)
    op.create_table(
        "communications",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("audience", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("sent_by", sa.String(length=40), nullable=False),
        sa.Column("system_id", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["system_id"], ["systems.id"], name=op.f("fk_communications_system_id_systems")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communications")),
    )
    op.create_index(
        op.f("ix_communications_system_id"), "communications", ["system_id"], unique=False
    )
    op.create_table(
        "surveys",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("sentiment", sa.Float(), nullable=False),
        sa.Column("concerns", sa.JSON(), nullable=False),
        sa.Column("business_unit_id", sa.String(length=40), nullable=True),
        sa.Column("system_id", sa.String(length=40), nullable=True),
        sa.Column("recorded_by", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_unit_id"],
            ["business_units.id"],
            name=op.f("fk_surveys_business_unit_id_business_units"),
        ),
        sa.ForeignKeyConstraint(
            ["system_id"], ["systems.id"], name=op.f("fk_surveys_system_id_systems")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surveys")),
    )
    op.create_index(
        op.f("ix_surveys_business_unit_id"), "surveys", ["business_unit_id"], unique=False
    )
    op.create_index(op.f("ix_surveys_system_id"), "surveys", ["system_id"], unique=False)
    op.create_table(
        "iterations",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("use_case_id", sa.String(length=40), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("learnings", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("decided_by", sa.String(length=40), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["use_case_id"], ["use_cases.id"], name=op.f("fk_iterations_use_case_id_use_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_iterations")),
        sa.UniqueConstraint("use_case_id", "number", name="uq_iterations_use_case_number"),
    )
    op.create_index(op.f("ix_iterations_use_case_id"), "iterations", ["use_case_id"], unique=False)
    op.create_table(
        "experiments",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("use_case_id", sa.String(length=40), nullable=False),
        sa.Column("hypothesis", sa.Text(), nullable=False),
        sa.Column("metric", sa.String(length=200), nullable=False),
        sa.Column("iteration_id", sa.String(length=40), nullable=True),
        sa.Column("result", sa.String(length=20), nullable=True),
        sa.Column("finding", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=40), nullable=False),
        sa.Column("concluded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["iteration_id"], ["iterations.id"], name=op.f("fk_experiments_iteration_id_iterations")
        ),
        sa.ForeignKeyConstraint(
            ["use_case_id"], ["use_cases.id"], name=op.f("fk_experiments_use_case_id_use_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experiments")),
    )
    op.create_index(
        op.f("ix_experiments_iteration_id"), "experiments", ["iteration_id"], unique=False
    )
    op.create_index(
        op.f("ix_experiments_use_case_id"), "experiments", ["use_case_id"], unique=False
    )
    op.add_column("approvals", sa.Column("body_decision_id", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("approvals") as batch:
        batch.drop_column("body_decision_id")
    op.drop_table("experiments")
    op.drop_table("iterations")
    op.drop_table("surveys")
    op.drop_table("communications")
    op.drop_table("adoption")
    op.drop_table("person_skills")
    op.drop_table("completions")
    op.drop_table("body_members")
    op.drop_table("body_decisions")
    op.drop_table("role_skills")
    op.drop_table("meetings")
    op.drop_table("skills")
    op.drop_table("courses")
    op.drop_table("bodies")
