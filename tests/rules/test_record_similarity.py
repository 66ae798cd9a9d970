"""Finding the words: clauses ranked by character n-gram similarity to an item's name and terms."""

from feijian.rules.record_similarity import ngrams, rank_clauses

CLAUSES = [(("D1", 0), "患者今日精神可"), (("D1", 1), "在局麻下经皮冠脉介入治疗"), (("D2", 0), "经桡动脉穿刺成功"),
           (("D2", 1), "患者今日饮食可"), (("D3", 0), "　　"), (("D3", 1), "烧动脉穿刺顺利")]


def test_ngrams_are_taken_from_the_normal_form():
    assert ngrams("Ｃ Ｔ") == ngrams("ct") and ngrams("ct")["ct"] == 1


def test_the_clause_that_names_the_item_in_other_words_ranks_first():
    ranked = rank_clauses(["经皮冠状动脉介入治疗", "PCI"], CLAUSES)
    assert ranked[0].key == ("D1", 1)
    assert all(a.score >= b.score for a, b in zip(ranked, ranked[1:]))


def test_a_misread_character_is_still_found_and_blank_clauses_are_left_out():
    ranked = rank_clauses(["桡动脉穿刺"], CLAUSES, top=3)
    assert [r.key for r in ranked[:2]] == [("D2", 0), ("D3", 1)]
    assert ("D3", 0) not in [r.key for r in rank_clauses(["x"], CLAUSES, minimum=0)]


def test_common_words_weigh_little_and_nothing_similar_gives_nothing():
    ranked = rank_clauses(["患者今日"], CLAUSES, top=6)
    assert ranked[0].score < 1.0
    assert rank_clauses(["血液透析"], CLAUSES) == []
    assert rank_clauses(["x"], []) == []
