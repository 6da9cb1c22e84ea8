"""The real article the replica's seed story reproduces.

Text of the one devdiscourse.com page seen in a browser on 2020-01-17 (PTI,
Baghdad); see the module docstring of :mod:`replica`.
"""

from __future__ import annotations

SEED_PARAGRAPHS: tuple[str, ...] = (
    "An Iraqi government spokesman denied reports on Thursday that joint operations had resumed between local forces and the US-led coalition fighting Islamic State group sleeper cells. The coalition, active in Iraq since 2014, said on January 5 that it was pausing anti-IS operations and training missions due to security concerns after a series of rocket attacks on bases where US and other international troops are located.",
    "The New York Times, citing two American military officials, reported Thursday that the US -- which makes up the bulk of the coalition -- had resumed the operations. But the Iraqi prime minister's spokesman on military affairs told AFP the coalition did not have permission from Baghdad to carry out any joint missions.",
    '"The joint operations have not resumed and we have not given our authorization," said Abdulkarim Khalaf. He said the Iraqi government had ordered the coalition to halt its joint operations following two US air strikes including one that killed a top Iranian commander.',
    "The first, in late December, killed 25 Iraqi paramilitary fighters in the country's west, in retaliation for the killing of an American contractor in a rocket attack. The second was a US precision drone strike outside Baghdad airport on January 3, which killed top Iranian general Qasem Soleimani and leading Iraqi military official Abu Mahdi al-Muhandis.",
    '"The agreement was that the coalition was here to fight IS and help the Iraqis fight IS, so we considered these strikes to be unilateral actions," said Khalaf. In response, he said, "joint operations, which include the use of Iraqi airspace, were banned".',
    "The Pentagon told AFP it had no information to provide concerning a resumption. The US-led coalition's spokesman in Baghdad also declined to comment.",
    'But a top US defense official told reporters last week that the operational pause was a coalition decision -- and resuming them would be, too. "It is absolutely our call," the official said, saying the security situation was still too tense.',
    "\"As soon as it's permissive, we'll turn it back on.\" The official also said the coalition had continued flying surveillance drones over Iraq despite Baghdad's complaints. \"I need to see the environment. So I'll continue to fly that as long as I need it to protect,\" the official said.",
    'Secretary of State Mike Pompeo said Monday that Iraqi leaders have told him privately they support the US troop presence, despite public appeals for them to leave. "They won\'t say so publicly. But privately they all welcome the fact that America is still there executing its counter-terror campaign," Pompeo said at a forum at Stanford University.',
    "Iraqi lawmakers this month also urged the government expel all foreign forces deployed in the country, which include around 5,200 US troops.",
)
