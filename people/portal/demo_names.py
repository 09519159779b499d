"""French first and last names for the demo data, most common first.

Searches only measure something when names vary the way a real directory's do: a few hundred
common names of each kind, weighted so that the frequent ones come up more often, combined at
random (seeded: the same index always gives the same person).
"""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect
from itertools import accumulate

FIRST_NAMES = ["Marie", "Jean", "Pierre", "Michel", "Philippe", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Alain", "Nicolas", "Christophe", "Patrick", "Stéphane", "Christine", "Sandrine", "Valérie", "Laurent", "David", "Éric", "Frédéric", "Sébastien", "Thomas", "Julien", "Céline", "Véronique", "Martine", "Anne", "Monique", "Nicole", "Daniel", "Bernard", "Jacques", "André", "Olivier", "Pascal", "Thierry", "Vincent", "Sophie", "Caroline", "Aurélie", "Émilie", "Julie", "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Jade", "Louise", "Alice", "Lina", "Rose", "Anna", "Mila", "Ambre", "Léna", "Juliette", "Zoé", "Lucie", "Margaux", "Marine", "Marion", "Mathilde", "Pauline", "Clara", "Sarah", "Laura", "Élodie", "Audrey", "Mélanie", "Stéphanie", "Virginie", "Karine", "Hélène", "Agnès", "Brigitte", "Danielle", "Dominique", "Josiane", "Ginette", "Odette", "Yvette", "Marcelle", "Marthe", "Maryse", "Mariam", "Maëlle", "Maëlys", "Margot", "Marianne", "Marina", "Maud", "Morgane", "Océane", "Noémie", "Agathe", "Apolline", "Capucine", "Héloïse", "Clémence", "Constance", "Éléonore", "Bérénice", "Gaëlle", "Solène", "Anaïs", "Annaïg", "Nolwenn", "Gwenaëlle", "Lucas", "Hugo", "Louis", "Gabriel", "Arthur", "Jules", "Adam", "Raphaël", "Léo", "Paul", "Nathan", "Ethan", "Mathis", "Noah", "Maël", "Sacha", "Théo", "Tom", "Enzo", "Baptiste", "Antoine", "Maxime", "Alexandre", "Romain", "Guillaume", "Kévin", "Florian", "Quentin", "Clément", "Mathieu", "Benoît", "Jérôme", "Loïc", "Cédric", "Fabrice", "Franck", "Gilles", "Hervé", "Didier", "Serge", "Yves", "Gérard", "Marcel", "Marc", "Martin", "Marius", "Maximilien", "Aymeric", "Amaury", "Benjamin", "Damien", "Bastien", "Jérémy", "Anthony", "Jonathan", "Grégory", "Ludovic", "Arnaud", "Gaël", "Yann", "Erwan", "Tanguy", "Ronan", "Mickaël", "Rémi", "Rémy", "Aurélien", "Timothée", "Léon", "Victor", "Émile", "Gaspard", "Augustin", "Côme", "Célestin", "Anatole", "Achille", "Joseph", "Félix", "Noël", "Joël", "Lionel", "Régis", "René", "Roger", "Henri", "Lucien", "Raymond", "Georges", "Fernand", "Hélèna", "Mohamed", "Karim", "Yacine", "Mehdi", "Rachid", "Samir", "Nadia", "Fatima", "Leïla", "Yasmine", "Sofia", "Amira", "Aïcha", "Malik", "Ibrahim", "Moussa", "Amadou", "Mamadou", "Awa", "Fatou", "Aminata", "Kenza", "Salomé", "Éva", "Lola", "Romane", "Charlotte", "Jeanne", "Adèle", "Victoire", "Joséphine", "Élise"]

LAST_NAMES = """
Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefèbvre
Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent
Muller Lefèvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier
Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval
Denis Dumont Marie Lemaire Noël Meyer Dufour Meunier Brun Blanchard Giraud Joly Rivière Lucas
Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard Schmitt Roy Leroux Colin Vidal
Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre
Benoît Rey Leclerc Payet Rolland Leclercq Guillaume Lecomte Lopez Jean Dupuy Guillot Hubert
Berger Carpentier Sanchez Dupuis Moulin Louis Deschamps Huet Vasseur Perez Boucher Fleury Royer
Klein Jacquet Adam Paris Poirier Marty Aubry Guyot Carré Charles Renault Charpentier Ménard
Maillard Baron Bertin Bailly Hervé Schneider Fernandez Le Gall Collet Léger Bouvier Julien
Prévost Millet Perrot Daniel Le Roux Cousin Germain Breton Besson Langlois Rémy Le Goff Pelletier
Lévêque Perrier Leblanc Barré Lebrun Marchal Weber Mallet Hamon Boulanger Jacob Monnier Michaud
Rodriguez Guichard Gillet Étienne Grondin Poulain Tessier Chevallier Collin Chauvin Da Silva
Bouchet Gay Lemaître Bénard Maréchal Humbert Reynaud Antoine Hoarau Perret Barthélemy Cordier
Pichon Lejeune Gilbert Lamy Delaunay Pasquier Carlier Laporte Lamarque Marin Martineau Marais
Maillet Marechal Delmas Mariette Dumarais Lemarchand Desmarais Marquet Marques Amar Ramard
Gomez Lefort Héraud Thébault Guénard Bréhier Kervella Le Bihan Tanguy Quéré Pouliquen Raoult
Étienne Lenoir Lévy Cohen Benoît Haddad Diallo Traoré Ndiaye Diop Nguyen Tran Pham Ouédraogo
Saïdi Benali Bouaziz Mansouri Chérif Kaci Hamidi Belkacem Ferreira Pereira Dos Santos Oliveira
"""

# Some last names hold a space ("Le Gall"): the particle is glued to the name before splitting.
LAST_NAMES = list(dict.fromkeys(
    name.replace("_", " ")
    for name in LAST_NAMES.replace("Le ", "Le_").replace("Da ", "Da_").replace("Dos ", "Dos_").split()
))
FIRST_NAMES = list(dict.fromkeys(FIRST_NAMES))


def _cumulative(count: int) -> list[float]:
    """Zipf-like weights: the tenth name is about three times rarer than the first."""
    return list(accumulate(1 / (rank + 1) ** 0.5 for rank in range(count)))


_FIRST_WEIGHTS = _cumulative(len(FIRST_NAMES))
_LAST_WEIGHTS = _cumulative(len(LAST_NAMES))


def _pick(names: list[str], weights: list[float], rng: random.Random) -> str:
    return names[min(bisect(weights, rng.random() * weights[-1]), len(names) - 1)]


def french_name(kind: str, index: int) -> tuple[str, str]:
    """(first name, last name) of person `index` of `kind`: the same every run."""
    rng = random.Random(f"{kind}:{index}")
    return _pick(FIRST_NAMES, _FIRST_WEIGHTS, rng), _pick(LAST_NAMES, _LAST_WEIGHTS, rng)


def email_local_part(first: str, last: str) -> str:
    """prenom.nom in ASCII: accents dropped, spaces and apostrophes removed."""
    def ascii_word(word: str) -> str:
        plain = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
        return "".join(char for char in plain.lower() if char.isalnum() or char == "-")

    return f"{ascii_word(first)}.{ascii_word(last)}"
