"""The accusation guard, pure (R-LC-07, 《信访工作条例》第四十六条第（五）项、第三十条第三款): names typed for a unit
resolve to the register, and the accused unit with every unit under it may not receive the case."""

from __future__ import annotations

import pickle

import pytest

from xinfang_desktop.core.accusation_guard import (
    AccusedScope,
    RegisterUnit,
    UnitRegister,
    accused_scope,
    normalise,
    refusal,
    scope_of_names,
)

COUNTY = ("示范县", "示范市")
REGISTER = UnitRegister(
    (
        RegisterUnit(1, "示范县人民政府", None, COUNTY),
        RegisterUnit(6, "示范县公安局", 1, COUNTY),
        RegisterUnit(26, "示范县公安局城关派出所", 6, COUNTY),
        RegisterUnit(27, "示范县公安局东湖派出所", 6, COUNTY),
        RegisterUnit(28, "东湖派出所交警中队", 27, COUNTY),
        RegisterUnit(7, "示范县民政局", 1, COUNTY),
        RegisterUnit(24, "中共示范县纪律检查委员会", None, COUNTY),
        RegisterUnit(40, "城关街道办事处", 1, COUNTY),
        RegisterUnit(41, "城关街道社区服务中心", 40, COUNTY),
    )
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("示范县公安局", "示范县公安局"),  # exact
        ("县公安局", "示范县公安局"),  # 县 for the county: the measured bypass (1)
        ("公安局", "示范县公安局"),
        (" 示范县 公安局 ", "示范县公安局"),  # spaces, as pasted
        ("城关派出所", "示范县公安局城关派出所"),  # the short name under its parent
        ("示范县城关派出所", "示范县公安局城关派出所"),
        ("县纪律检查委员会", "中共示范县纪律检查委员会"),
        ("示范县纪律检查委员会", "中共示范县纪律检查委员会"),
    ],
)
def test_a_typed_name_resolves_to_the_register(typed: str, expected: str) -> None:
    found = REGISTER.resolve(typed)
    assert found.unit is not None and found.unit.name == expected and not found.ambiguous


def test_an_unknown_name_resolves_to_nothing_and_is_no_problem() -> None:
    found = REGISTER.resolve("城关街道人民政府")
    assert found.unit is None and found.candidates == () and found.problem() is None


def test_an_ambiguous_name_is_reported_with_the_candidates() -> None:
    register = UnitRegister(
        (
            RegisterUnit(1, "示范县公安局", None, ("示范县",)),
            RegisterUnit(2, "邻县公安局", None, ("邻县",)),
        )
    )
    found = register.resolve("县公安局")
    assert found.ambiguous and found.unit is None
    problem = found.problem()
    assert problem is not None and "示范县公安局" in problem and "邻县公安局" in problem and "全称" in problem


def test_the_scope_holds_the_accused_unit_and_every_unit_under_it() -> None:
    scope = accused_scope(REGISTER, [("县公安局", None)])
    assert scope.accused == ("示范县公安局",)
    assert set(scope.via.values()) == {"示范县公安局"}
    assert {normalise(n) for n in ("示范县公安局", "示范县公安局城关派出所", "示范县公安局东湖派出所")} <= scope
    assert normalise("东湖派出所交警中队") in scope  # two levels down
    assert normalise("示范县民政局") not in scope and normalise("示范县人民政府") not in scope


def test_a_linked_unit_id_wins_over_its_name() -> None:
    scope = accused_scope(REGISTER, [("某个旧名称", 40)])
    assert scope.accused == ("城关街道办事处",) and normalise("城关街道社区服务中心") in scope


def test_an_unregistered_accused_unit_guards_its_own_name() -> None:
    scope = accused_scope(REGISTER, [("城关街道人民政府", None)])
    assert refusal(scope, "城关街道人民政府") is not None
    assert refusal(scope, "城关街道办事处") is None


def test_refusal_names_the_article_and_the_accused_parent() -> None:
    scope = accused_scope(REGISTER, [("示范县公安局", 6)])
    direct = refusal(scope, "示范县公安局")
    below = refusal(scope, "示范县公安局城关派出所")
    assert direct is not None and "“示范县公安局”是本事项被反映（被控告）的单位" in direct
    assert below is not None and "隶属于本事项被反映（被控告）的单位“示范县公安局”" in below
    for text in (direct, below):
        assert "《信访工作条例》第四十六条" in text and "R-LC-07" in text
    assert refusal(scope, "示范县民政局") is None
    assert refusal(scope, None) is None and refusal(scope, "  ") is None


def test_a_plain_set_of_names_is_compared_normalised() -> None:
    assert refusal(frozenset({"县国土局"}), " 县国土局") is not None
    assert refusal(frozenset({"县国土局"}), "县国土资源局") is None


def test_a_cycle_in_the_register_ends_the_walk() -> None:
    register = UnitRegister((RegisterUnit(1, "甲单位", 2), RegisterUnit(2, "乙单位", 1)))
    assert [u.name for u in register.below(1)] == ["乙单位"]


def test_the_scope_is_a_frozenset_that_survives_a_copy() -> None:
    scope = accused_scope(REGISTER, [("示范县公安局", 6)])
    again = pickle.loads(pickle.dumps(scope))
    assert isinstance(again, AccusedScope) and again == scope and again.via == scope.via
    assert scope_of_names(["  ", "县国土局"]).accused == ("县国土局",)
