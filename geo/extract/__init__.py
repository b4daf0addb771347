"""Find the named, mappable sites in cleaned report text.

A site's name in Chinese ends in a generic place word (its 通名: 公园, 路, 片区,
未来社区 ...) preceded by its specific part (专名). The extractor runs small passes
over each sentence, each reading the previous pass's candidates and returning new ones:

1. ``generic``: find the generic words (``lexicons/suffixes.tsv``) and road codes;
2. ``absorb``: drop those that sit inside a longer name (青石路排涝站), and find
   how far left each remaining name may reach;
3. ``left_edge``: cut each name after the rightmost word that cannot belong to it
   (``stopwords.txt``, verbs the segmenter tags, counts), as long as a real name is left
   (``generic_words.txt``: 老旧小区 is a class, not a name);
4. ``lists``: expand enumerations that share one generic word (甲、乙等3个区块),
   split compounds (甲街区和乙街区), name numbered lanes and bare codes;
5. ``quoted``: quoted names (“甲园”“乙园”风景线, a short “甲乙公园”);
6. ``county_prefix``: strip the report's county from the front of a name;
7. ``kinds``: the site's kind and layer, from its generic word and the sentence.

Rules and thresholds are data: ``lexicons/name_rules.toml`` read through ``geo.text.lexicon``.
"""

from geo.extract.sentence import find_mentions
from geo.model import Mention

__all__ = ["Mention", "find_mentions"]
