"""The Options page, headless: the sample school's Year 9 choices in its current blocks, then a designed set."""

from __future__ import annotations

from .conftest import goto, texts


def test_options_page_analyses_the_school_design_and_designs_better_blocks(app, monkeypatch):
    monkeypatch.setenv("NATBACC_SOLVER_WORKERS", "2")
    goto(app, "options")
    assert "Upload Year 9's option choices" in texts(app)
    app.button[0].click().run()  # use the sample school's Year 9
    assert not app.exception, [e.message for e in app.exception]
    body = texts(app)
    assert "240 pupils with choices" in body and "your design has 4 blocks" in body
    assert "of 240 pupils get all their choices." in body
    lost = [m for m in app.metric if m.label == "Lose an entitlement area"]
    assert lost and int(lost[0].value) > 0  # the sample's clash (French and Spanish beside Art) costs pupils
    school_full = int(next(m for m in app.metric if m.label == "Get all their choices").value.split(" of ")[0])

    app.number_input(key="options_time").set_value(5).run()
    next(b for b in app.button if b.label == "Design blocks").click().run()
    from natbacc.options.job import find

    find(app.session_state["options_job"]).wait(60)
    app.run()
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    body = texts(app)
    assert "Compare" in body and "natbacc's design" in body
    figures = [m.value for m in app.metric if m.label == "Get all their choices"]
    assert len(figures) == 2
    designed_full = int(figures[1].split(" of ")[0])
    assert designed_full >= school_full
    assert any(b.label == "Download the plan (Excel)" for b in app.get("download_button"))
