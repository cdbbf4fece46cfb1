"""Deterministic synthetic names for a diverse inner-London borough.

Everything here is invented test data: names are drawn independently (given name
and family name), so any resemblance to a real person is coincidence.  Output is a
pure function of the ``random.Random`` passed in, so a seed reproduces a data set.

Ethnicity is keyed on the CIN census codes (STATUTE.md §6.3).  Each code maps to one
or more broad naming backgrounds; mixed codes combine two backgrounds.  ``REFU``
(refused) and ``NOBT`` (not yet obtained) draw a background from the borough's
overall distribution, because a child whose ethnicity is unrecorded still has a name.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

__all__ = [
    "BACKGROUNDS",
    "ETHNICITY_CODES",
    "ETHNICITY_DISTRIBUTION",
    "NameBackground",
    "SEX_CODES",
    "background_for",
    "make_ethnicity_code",
    "make_name",
]

#: CIN census ethnicity codes (STATUTE.md §6.3).
ETHNICITY_CODES: Final = (
    "WBRI", "WIRI", "WIRT", "WOTH", "WROM",
    "MWBC", "MWBA", "MWAS", "MOTH",
    "AIND", "APKN", "ABAN", "AOTH",
    "BCRB", "BAFR", "BOTH",
    "CHNE", "OOTH", "REFU", "NOBT",
)  # fmt: skip

#: Sex codes (CIN 2024/25+): M, F, U (U: unborn / not known).
SEX_CODES: Final = ("M", "F", "U")

#: LOCAL ASSUMPTION - not an official statistic.  Relative weights for the ethnicity
#: of children known to children's social care in an invented inner-London borough,
#: loosely shaped like the east London boroughs (large Bangladeshi, Black African,
#: White British and Other White groups).  Used only to make synthetic data look
#: plausible; replace with the borough's own CIN census profile when one is available.
ETHNICITY_DISTRIBUTION: Final[Mapping[str, float]] = {
    "WBRI": 21.0,
    "WIRI": 1.0,
    "WIRT": 0.4,
    "WOTH": 9.0,
    "WROM": 1.2,
    "MWBC": 5.0,
    "MWBA": 2.5,
    "MWAS": 1.5,
    "MOTH": 4.0,
    "AIND": 2.5,
    "APKN": 2.5,
    "ABAN": 13.0,
    "AOTH": 2.5,
    "BCRB": 7.0,
    "BAFR": 12.0,
    "BOTH": 4.0,
    "CHNE": 0.7,
    "OOTH": 6.0,
    "REFU": 0.7,
    "NOBT": 3.5,
}


@dataclass(frozen=True, slots=True)
class NameBackground:
    """Name pools for one broad naming background."""

    key: str
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]


def _words(text: str) -> tuple[str, ...]:
    # Multi-word names are written with underscores ("Da_Silva").
    return tuple(w.replace("_", " ") for w in text.split())


def _bg(key: str, male: str, female: str, family: str) -> NameBackground:
    return NameBackground(key, _words(male), _words(female), _words(family))


_BACKGROUND_LIST: Final = (
    _bg(
        "white_british",
        """Oliver George Harry Jack Noah Charlie Jacob Alfie Freddie Oscar Leo Archie Thomas
        Joshua James William Henry Lewis Ethan Daniel Samuel Joseph Max Logan Isaac Lucas
        Tyler Mason Harrison Riley Kai Reggie Tommy Ronnie Frankie Jayden Callum Connor
        Liam Ryan Kieran Bradley Alfred Albie""",
        """Olivia Amelia Isla Ava Emily Sophia Grace Lily Freya Ella Mia Poppy Evie Charlotte
        Isabella Jessica Sophie Ruby Daisy Millie Rosie Florence Phoebe Scarlett Holly Chloe
        Megan Lauren Keira Paige Jade Courtney Kayleigh Leah Molly Maisie Lacey Tilly Harper
        Ellie Bethany Summer Layla""",
        """Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson
        Evans Walker White Roberts Green Hall Wood Jackson Clarke Harris Lewis Turner Cooper
        Hill Ward Morris Moore Clark Baker Harrison Marshall Cole Barker Fletcher Pearce
        Holmes Chapman Webb Mills Palmer Fisher Gibson Stevens Hughes Lambert Perkins""",
    ),
    _bg(
        "irish",
        """Sean Conor Cian Oisin Darragh Cillian Ronan Eoin Padraig Fionn Tadhg Liam Niall
        Declan Ciaran Eamon Colm Diarmuid Donal Killian Aidan Brendan Kevin Patrick Michael
        Dermot Finbar Rory Shane Barry Cathal Fergal Senan Odhran Ruairi Lorcan Dara Aodhan
        Cormac Mark""",
        """Aoife Siobhan Niamh Saoirse Ciara Roisin Orla Caoimhe Sinead Aisling Grainne Deirdre
        Clodagh Eimear Fiadh Maeve Ailbhe Cliona Muireann Nuala Sorcha Una Mairead Bronagh
        Eabha Aine Blathnaid Laoise Ashling Riona Shauna Tara Kerry Mary Bridget Ellen Nora
        Sadhbh Erin Keeva""",
        """Murphy Kelly O'Sullivan Walsh O'Brien Byrne Ryan O'Connor O'Neill O'Reilly Doyle
        McCarthy Gallagher O'Doherty Kennedy Lynch Murray Quinn Moore McLoughlin O'Carroll
        Connolly Daly O'Connell Dunne Brennan Burke Collins Campbell Clarke Kavanagh
        Donnelly Fitzgerald Keane Maguire Nolan Power Sheehan Flanagan Hegarty Joyce
        McDonagh Ward Connors Doherty""",
    ),
    _bg(
        "polish",
        """Jakub Kacper Szymon Filip Jan Antoni Mikolaj Wojciech Adam Michal Mateusz Bartosz
        Piotr Pawel Tomasz Krzysztof Marcin Kamil Dawid Oskar Aleksander Maksymilian Igor
        Franciszek Stanislaw Wiktor Hubert Patryk Dominik Lukasz Marek Grzegorz Rafal Adrian
        Sebastian Damian Przemyslaw Konrad Karol Norbert""",
        """Zuzanna Julia Maja Zofia Hanna Lena Alicja Maria Amelia Oliwia Wiktoria Natalia
        Aleksandra Pola Nikola Gabriela Martyna Agnieszka Katarzyna Magdalena Joanna Dominika
        Karolina Weronika Paulina Ewa Anna Kinga Marta Patrycja Sylwia Izabela Emilia
        Malgorzata Justyna Klaudia Laura Antonina Helena Iga""",
        """Nowak Kowalski Wisniewski Wojcik Kowalczyk Kaminski Lewandowski Zielinski
        Szymanski Wozniak Dabrowski Kozlowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski
        Grabowski Nowakowski Pawlowski Michalski Nowicki Adamczyk Dudek Zajac Wieczorek
        Jablonski Krol Majewski Olszewski Jaworski Wrobel Malinowski Pawlak Witkowski Walczak
        Stepien Gorski Rutkowski Michalak Sikora""",
    ),
    _bg(
        "romanian",
        """Andrei Alexandru David Stefan Ionut Mihai Gabriel Darius Luca Matei Rares Cristian
        Florin Marius Adrian Vlad Bogdan Catalin Razvan Sorin Claudiu Ciprian Daniel Emanuel
        Sebastian Constantin Nicolae Ion Gheorghe Dumitru Tudor Victor Valentin Petru Laurentiu
        Costel Robert Denis Eduard Iulian""",
        """Maria Elena Andreea Ioana Alexandra Ana Gabriela Mihaela Daniela Bianca Denisa
        Larisa Roxana Alina Florentina Cristina Raluca Adriana Georgiana Diana Teodora Sofia
        Ilinca Irina Anamaria Simona Oana Nicoleta Camelia Ramona Catalina Luminita Madalina
        Lavinia Delia Antonia Carla Iasmina Daria Natalia""",
        """Popescu Ionescu Popa Pop Radu Dumitru Stan Stoica Gheorghe Matei Ciobanu Rusu
        Munteanu Constantin Serban Moldovan Lupu Dinu Marin Mihai Florea Tudor Nistor Dobre
        Barbu Cristea Toma Dragomir Ene Oprea Sandu Avram Balan Diaconu Enache Neagu Voicu
        Lazar Ursu Mocanu Preda Zamfir Anghel""",
    ),
    _bg(
        "portuguese",
        """Joao Tiago Rodrigo Diogo Goncalo Duarte Tomas Afonso Martim Rafael Miguel Pedro
        Francisco Guilherme Lucas Gabriel Vicente Santiago Simao Bernardo Henrique Lourenco
        Andre Bruno Nuno Rui Ricardo Luis Paulo Carlos Fabio Hugo Jorge Manuel Vitor Leonardo
        Enzo Davi Caio Matheus""",
        """Beatriz Mariana Leonor Matilde Carolina Ines Sofia Lara Francisca Margarida Joana
        Rita Catarina Ana Maria Madalena Camila Clara Benedita Alice Luana Giovanna Yasmin
        Leticia Isadora Larissa Daniela Vanessa Patricia Sara Raquel Filipa Teresa Luisa
        Helena Bianca Gabriela Heloisa Valentina Marta""",
        """Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Jesus Sousa Fernandes
        Goncalves Gomes Lopes Marques Alves Almeida Ribeiro Pinto Carvalho Teixeira Moreira
        Correia Mendes Nunes Soares Vieira Monteiro Cardoso Rocha Neves Coelho Cruz Cunha
        Pires Ramos Reis Simoes Antunes Matos Fonseca Da_Silva Dos_Santos""",
    ),
    _bg(
        "albanian",
        """Arben Besnik Dritan Endrit Fatjon Gentian Ilir Klajdi Ledion Mateo Noel Arlind
        Erion Kristian Ardit Alban Bujar Driton Elvis Flamur Granit Leutrim Liridon Luan
        Marsel Orges Petrit Rinor Redon Sokol Taulant Valon Xhesik Alesio Amar Bledar
        Denis Enis Fjoralb Kledi""",
        """Ardita Besjana Dorina Elira Erjona Fjona Gresa Jonida Klea Lindita Mirela Rea Sara
        Teuta Vjosa Xhesika Alketa Anila Blerina Diellza Drita Edona Elsa Enkeleda Fatbardha
        Flutura Hana Ilirjana Jeta Kaltrina Leonora Liridona Mimoza Nora Qendresa Rina Shqipe
        Valbona Arta Era""",
        """Hoxha Krasniqi Shehu Gashi Berisha Morina Dervishi Kelmendi Leka Marku Cela Duka
        Hysa Kola Lika Meta Mema Rama Zeka Bajrami Bytyqi Dema Gjoka Hasani Ismaili Kastrati
        Limani Murati Osmani Prifti Qerimi Rexhepi Sadiku Shala Tahiri Useini Veseli Xhaferi
        Zeneli Basha Brahimi""",
    ),
    _bg(
        "west_african",
        """Oluwaseun Chinedu Emeka Tunde Femi Adebayo Kwame Kofi Kwabena Yaw Kojo Obinna
        Chukwuemeka Ikenna Olamide Ayodele Babatunde Damilare Tobi Segun Daniel Samuel David
        Emmanuel Joshua Victor Precious Prince Godwin Blessing Michael Ebuka Chidi Nnamdi
        Oluwadamilare Jidenna Kayode Abdul Ibrahim Mohamed Fode""",
        """Adaeze Chiamaka Ngozi Ifeoma Funmilayo Folake Temitope Oluwatoyin Abimbola Yetunde
        Ama Akosua Abena Efua Adwoa Esi Nana Chioma Amara Ifunanya Ebele Zainab Fatima
        Aminata Mariama Isatou Grace Favour Blessing Precious Esther Deborah Comfort Mercy
        Victoria Joy Peace Praise Tolulope Damilola""",
        """Okafor Adeyemi Okonkwo Mensah Boateng Asante Owusu Adebayo Oyelaran Bello Eze
        Nwosu Obi Ogunleye Akinola Afolabi Olawale Balogun Danso Appiah Osei Acheampong
        Addo Darko Ansah Kamara Sesay Conteh Bangura Koroma Jalloh Bah Diallo Toure Traore
        Nwachukwu Onyeka Uzoma Ibekwe Adeleke Oyewole Ajayi""",
    ),
    _bg(
        "east_african",
        """Yonas Dawit Robel Biniam Filmon Semere Mehari Tesfay Henok Abel Dagim Kibrom Eyob
        Natnael Samson Tekle Amanuel Habtom Yosief Berhane Gebre Mulugeta Tewolde Senay
        Haile Kaleb Bereket Solomon Mikael Nahom Ermias Fitsum Tsegay Elias Daniel Yohannes
        Nebiyu Tadesse Aron Mesfin""",
        """Senait Helen Mekdes Selam Hiwet Saba Rahel Luwam Feven Yordanos Meron Eden Bethlehem
        Tsion Hanna Mahlet Liya Ruth Winta Abeba Almaz Aster Azeb Tigist Semhar Rigbe Selamawit
        Sara Miriam Elsa Natsanet Hermela Yohana Kidist Bezawit Genet Haben Lidya Nardos
        Tirhas""",
        """Tesfaye Gebremedhin Haile Tekle Mehari Berhe Kidane Woldemariam Ghebreyesus Asfaha
        Mengistu Desta Abraha Tesfamariam Habte Gebru Alemu Bekele Girma Tadesse Negash
        Worku Kahsay Weldu Yemane Zerai Tsegai Andemariam Okbay Ghirmay Goitom Hagos Kiflom
        Measho Amanuel Fessehaye Medhanie Russom Solomon Teweldemedhin""",
    ),
    _bg(
        "somali",
        """Mohamed Abdi Ahmed Ali Hassan Abdullahi Omar Yusuf Ibrahim Hussein Abdirahman
        Abdulkadir Mahad Mustafe Liban Guled Khalid Ismail Bashir Farah Ayanle Mukhtar Sharmarke
        Abdiaziz Hamza Mohamud Nuur Warsame Jama Adan Sakariye Said Idris Bilal Zakaria Osman
        Yasin Mohamoud Abdiwali Kaafi""",
        """Hodan Fadumo Amina Ayaan Sagal Hibaaq Farhiya Nasra Sahra Ifrah Ubah Ladan Ilhan
        Hawa Idil Deqa Najma Safiya Asha Kaltun Maryan Filsan Hamdi Khadra Muna Nimco
        Ruqiya Sumaya Yasmin Zamzam Hafsa Naima Fardowsa Hibo Anisa Ikran Suad Warsan
        Istahil Shukri""",
        """Mohamed Ahmed Ali Hassan Abdi Farah Jama Warsame Omar Yusuf Hussein Ibrahim Osman
        Ismail Nur Adan Abdullahi Mohamud Egal Duale Hirsi Aden Abdillahi Gedi Elmi Musse
        Guleid Hersi Samatar Dirie Barre Shire Awale Abdulle Jibril Mohamoud Yasin Bile
        Olad Kahin Haji Sheikh""",
    ),
    _bg(
        "black_caribbean",
        """Jermaine Tyrone Marcus Dwayne Andre Kemar Shane Jamal Nathaniel Isaiah Elijah Josiah
        Malachi Jaden Tyrese Kyle Romario Dante Leon Devon Ashley Courtney Delroy Errol
        Winston Clive Lloyd Everton Carlton Trevor Dion Jerome Reuben Micah Tristan Zion
        Jahmal Kareem Omari Levi Ezekiel""",
        """Shanice Aaliyah Chantelle Tianna Jada Keisha Monique Simone Tamika Latoya Natasha
        Renee Kayla Shantel Jasmine Imani Zaria Amari Destiny Nia Tia Kiana Janelle Marcia
        Paulette Sharon Claudette Yvonne Beverley Hyacinth Marsha Donna Kimberley Kerry-Ann
        Danielle Aisha Serena Tanisha Naomi Nevaeh""",
        """Campbell Brown Williams Smith Johnson Thomas Clarke Francis Henry Lewis Morgan
        Grant Reid Gordon Richards Bennett Stewart Robinson Edwards Walker Gayle Blake
        McKenzie Samuels Powell Hylton Wright Forbes Ellis Scott Barrett Spencer Miller
        Graham Simpson Bailey Douglas Facey Gooden Whyte Anglin Lindo""",
    ),
    _bg(
        "indian",
        """Aarav Arjun Rohan Dev Krish Ishaan Vihaan Aryan Kabir Reyansh Sai Rahul Vikram Anil
        Sanjay Ravi Amit Nikhil Harpreet Gurpreet Jaspreet Manpreet Simran Arnav Dhruv
        Aditya Yash Neel Jay Rishi Karan Varun Kiran Deepak Suresh Rajesh Vivek Pranav Shiv
        Hemant Parth""",
        """Aanya Diya Priya Ananya Saanvi Aisha Isha Riya Kavya Meera Anika Navya Pooja Neha
        Shreya Tara Anjali Divya Sneha Nisha Asha Sunita Geeta Lakshmi Kiran Jaspreet
        Harleen Amrit Manjit Simrat Navneet Gurleen Avneet Khushi Trisha Radhika Mira Jiya
        Siya Roshni Pari""",
        """Patel Shah Singh Sharma Gupta Kumar Mehta Joshi Desai Mistry Parmar Chauhan Rana
        Gill Sandhu Dhillon Sidhu Bains Grewal Sahota Virdi Solanki Thakkar Vaghela
        Chopra Kapoor Malhotra Bhatt Nair Menon Pillai Iyer Reddy Rao Naidu Verma Agarwal
        Jain Modi Chandra Bose""",
    ),
    _bg(
        "pakistani",
        """Muhammad Ali Hamza Zain Ayaan Ibrahim Yusuf Bilal Hassan Usman Umar Adam Rayyan
        Haris Zayan Ahmed Faisal Imran Kashif Tariq Shahid Asif Nadeem Waqas Zeeshan Fahad
        Danyal Arham Saad Shayan Abdullah Junaid Zubair Irfan Sohail Amir Sameer Talha Haider
        Rehan Arslan""",
        """Aisha Fatima Maryam Zainab Hafsa Ayesha Sana Hira Mahnoor Iqra Amna Khadija Noor
        Sara Alishba Anaya Inaya Hania Zara Mehreen Samina Nazia Rubina Shabana Farzana
        Saima Sadia Bushra Uzma Asma Rabia Sidra Laiba Eman Dua Areeba Aleena Zoya Mariam
        Parveen""",
        """Khan Hussain Ahmed Ali Akhtar Iqbal Malik Butt Mahmood Rashid Shah Qureshi Chaudhry
        Raja Mirza Javed Aslam Anwar Bashir Hameed Nawaz Rehman Siddiqui Sheikh Abbasi
        Rafiq Riaz Saleem Shafiq Tahir Younis Zaman Arshad Aziz Haq Kiani Latif Mughal
        Naqvi Rana Sultan Yaqoob""",
    ),
    _bg(
        "bangladeshi",
        """Mohammed Abdul Rahim Karim Jamal Shahid Rahman Sayeed Tanvir Imran Arif Nabil Rafiq
        Shafiq Habib Anwar Ashraf Faruk Jubayer Ishaq Mahfuz Rakib Sabbir Shakil Tahmid Tamim
        Yasin Zakir Ayaan Ibrahim Ismail Hamza Rayhan Zayan Musa Hasan Idris Mahir Arham
        Sami Rumel""",
        """Fatema Amina Ayesha Sumaiya Nusrat Tasnim Farzana Shirin Nasreen Ruksana Rehana
        Shahnaz Salma Halima Rumana Sabina Taslima Sultana Yasmin Jannat Tahmina Maliha
        Mahira Nafisa Raisa Samira Tasfia Zarin Anisa Inaya Maryam Safa Hafsa Marwa Nadia
        Sharmin Sadia Rima Shamima Lubna""",
        """Ahmed Ali Miah Uddin Rahman Islam Hussain Hoque Chowdhury Khan Ullah Mia
        Haque Alam Hasan Karim Sarkar Talukdar Kabir Mahmud Mollah Siddique Aziz Bhuiyan
        Sheikh Akter Amin Biswas Rashid Hossain Choudhury Mridha Sultan Shikder Bari Hannan
        Jalal Matin Mostafa Rouf Shah""",
    ),
    _bg(
        "other_asian",
        """Tharun Kajan Niroshan Thusan Sajeev Prakash Mathusan Kapilan Arun Suman Bikash Rajan
        Sandesh Prabin Nabin Dipesh Anish Bibek Sagar Rohit Jericho Paolo Miguel Carlo
        Joshua Kenji Minh Duc Huy Tuan Khoa Long Thanh Bao Dinesh Janath Kasun Nuwan
        Lahiru Chamath""",
        """Tharsika Kavitha Niroja Abirami Thivya Shalini Jeyanthi Sharmila Anusha Kaviya
        Sabina Sushma Pratima Srijana Anjana Sunita Manisha Rojina Asmita Sarita Maricel
        Jasmine Angelica Kristine Princess Althea Lan Linh Mai Ngoc Thao Trang Huong Anh
        Dilani Nadeesha Sanduni Chathuri Ishara Kumari""",
        """Sivakumar Rajendran Thevarajah Kanagaratnam Selvarajah Balasubramaniam Nadarajah
        Sriskandarajah Ratnam Mahendran Shrestha Gurung Tamang Rai Limbu Magar Thapa Karki
        Adhikari Poudel Santos Reyes Cruz Bautista Garcia Mendoza Ramos Aquino Nguyen Tran
        Le Pham Hoang Vu Dang Bui Perera Fernando De_Silva Jayasinghe Wickramasinghe
        Bandara""",
    ),
    _bg(
        "chinese",
        """Wei Jun Hao Yang Chen Ming Jian Lei Tao Bo Hong Kai Zhi Yu Jia Rui Zihan Haoran
        Yuxuan Zixuan Junjie Jiahao Tianyi Kevin Jason Eric Ryan Ethan Lucas Aaron Justin
        Alvin Kelvin Marcus Dylan Brandon Nathan Ho Kwan Chun""",
        """Mei Ling Xin Yan Hui Jing Li Na Fang Min Yun Xiu Yi Qian Xiaoyu Yutong Zihan
        Xinyi Siqi Jiayi Ruoxi Wenjing Chloe Grace Jessica Vivian Cindy Ivy Karen Winnie
        Michelle Joyce Sharon Emily Amy Wing Suet Man Yee Ka""",
        """Chen Wang Li Zhang Liu Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao
        Luo Zheng Liang Xie Song Tang Deng Feng Han Cao Peng Chan Wong Cheung Lee Lau Ng
        Leung Ho Tsang Yip Kwok Lam""",
    ),
    _bg(
        "arabic",
        """Ahmad Mohammed Omar Khalid Youssef Karim Tariq Samir Rami Nabil Walid Adel Hadi
        Fadi Majid Bassam Ziad Hussam Anas Amjad Bilal Hamza Jamal Mahmoud Mustafa Nasser
        Qasim Rashid Saif Tamer Yazan Zaid Ayman Basel Firas Ghassan Ibrahim Laith Marwan
        Osama Sami""",
        """Layla Noor Yasmin Rania Lina Dana Hala Reem Salma Huda Mona Nadia Amira Farah Ghada
        Hanan Iman Jana Lama Maha Malak Nour Rahaf Rasha Rima Sahar Samar Shahd Tala Yara
        Zeina Aya Batoul Dalia Hiba Jumana Lubna Manal Raghad Wafa""",
        """Al-Sayed Haddad Khalil Nasser Hamdan Saleh Mansour Aziz Rahman Hassan Ibrahim Yousef
        Abdallah Mahmoud Said Khoury Darwish Ghanem Habib Jaber Karam Lutfi Masri Najjar
        Qasem Rashed Salem Shami Taha Zayed Al-Amin Al-Hashimi Al-Jabouri Al-Obaidi Al-Rawi
        Al-Shammari Bakr Farouk Hussein Issa Kassem Othman""",
    ),
    _bg(
        "turkish",
        """Mehmet Mustafa Ahmet Ali Emre Burak Can Cem Deniz Efe Emir Eren Hakan Hasan Huseyin
        Ibrahim Kaan Kemal Murat Omer Onur Serkan Tolga Yusuf Baris Berk Kerem Arda Mert
        Yigit Alperen Batuhan Enes Furkan Oguz Selim Volkan Rojhat Serhat Azad Baran""",
        """Elif Zeynep Ayse Fatma Emine Hatice Merve Busra Esra Ebru Derya Gizem Selin Seda
        Ozlem Sevgi Yasemin Melek Ece Irem Defne Azra Nehir Asya Ecrin Hira Sila Yagmur
        Beren Cansu Dilara Nisa Ceren Tugba Songul Rojda Berfin Zozan Hevin Nazli""",
        """Yilmaz Kaya Demir Sahin Celik Yildiz Yildirim Ozturk Aydin Ozdemir Arslan Dogan
        Kilic Aslan Cetin Kara Koc Kurt Ozkan Simsek Polat Korkmaz Karatas Erdogan Tekin
        Aktas Yuksel Bulut Gunes Keskin Acar Altun Cakir Guler Kaplan Ates Avci Bozkurt
        Sezer Tas Ucar Sen""",
    ),
    _bg(
        "afghan",
        """Ahmad Mohammad Mahmood Rahim Karim Farid Jawad Habib Hamid Javid Khalil Najib
        Nasir Qadir Rahmat Sharif Wahid Zabihullah Ehsan Hamidullah Mirwais Naveed Samiullah
        Shafiq Sohail Yama Zalmai Abdul Asadullah Bashir Fawad Haroon Idris Jamshid Mansoor
        Noorullah Obaid Rashid Sayed Wali""",
        """Fatima Zahra Mariam Parwana Nazanin Shabnam Lina Mina Roya Sahar Soraya Farzana
        Frishta Gulalai Hadia Hosai Laila Madina Malalai Marzia Nargis Negina Pashtana
        Rabia Shakila Tahmina Yalda Zarghuna Zainab Arezo Benafsha Diana Freshta Hasina
        Karima Mahbooba Nilofar Palwasha Sima Wajma""",
        """Ahmadi Rahimi Karimi Mohammadi Hakimi Sultani Hashimi Amiri Noori Qaderi Rezai
        Safi Stanikzai Popal Durrani Barakzai Yousafzai Wardak Sadat Azizi Nazari Habibi
        Jalali Mansoori Niazi Omari Rahmani Sharifi Haidari Akbari Faizi Ghafoori Hussaini
        Jafari Mirzad Naseri Rasuli Samadi Taheri Zazai""",
    ),
)

#: Name pools keyed by background.
BACKGROUNDS: Final[Mapping[str, NameBackground]] = {b.key: b for b in _BACKGROUND_LIST}

# Background weights used for each ethnicity code.  Mixed codes list the backgrounds
# a child's parents may come from; the given and family names are drawn from them
# independently, as happens in real mixed-heritage families.
_SINGLE: Final[Mapping[str, tuple[tuple[str, float], ...]]] = {
    "WBRI": (("white_british", 1.0),),
    "WIRI": (("irish", 1.0),),
    # Irish Traveller families: Irish pools, weighted toward traditional given names.
    "WIRT": (("irish", 0.85), ("white_british", 0.15)),
    "WOTH": (("polish", 0.35), ("romanian", 0.25), ("portuguese", 0.25), ("albanian", 0.15)),
    "WROM": (("romanian", 0.7), ("white_british", 0.3)),
    "AIND": (("indian", 1.0),),
    "APKN": (("pakistani", 1.0),),
    "ABAN": (("bangladeshi", 1.0),),
    "AOTH": (("other_asian", 0.75), ("afghan", 0.25)),
    "BCRB": (("black_caribbean", 1.0),),
    "BAFR": (("west_african", 0.6), ("somali", 0.25), ("east_african", 0.15)),
    "BOTH": (("west_african", 0.4), ("black_caribbean", 0.3), ("somali", 0.15), ("east_african", 0.15)),
    "CHNE": (("chinese", 1.0),),
    "OOTH": (("arabic", 0.35), ("turkish", 0.3), ("afghan", 0.2), ("somali", 0.15)),
}

_MIXED: Final[Mapping[str, tuple[tuple[str, float], ...]]] = {
    "MWBC": (("white_british", 0.5), ("black_caribbean", 0.5)),
    "MWBA": (("white_british", 0.5), ("west_african", 0.4), ("somali", 0.1)),
    "MWAS": (
        ("white_british", 0.5),
        ("indian", 0.15),
        ("pakistani", 0.12),
        ("bangladeshi", 0.13),
        ("chinese", 0.1),
    ),
    "MOTH": (
        ("white_british", 0.2),
        ("black_caribbean", 0.15),
        ("west_african", 0.15),
        ("portuguese", 0.1),
        ("arabic", 0.1),
        ("turkish", 0.1),
        ("other_asian", 0.1),
        ("irish", 0.1),
    ),
}

_UNRECORDED: Final = frozenset({"REFU", "NOBT"})


def _pick_weighted(rng: random.Random, items: Sequence[tuple[str, float]]) -> str:
    keys = [k for k, _ in items]
    weights = [w for _, w in items]
    return rng.choices(keys, weights=weights, k=1)[0]


def make_ethnicity_code(rng: random.Random) -> str:
    """Draw a CIN ethnicity code from :data:`ETHNICITY_DISTRIBUTION`."""
    return _pick_weighted(rng, list(ETHNICITY_DISTRIBUTION.items()))


def background_for(rng: random.Random, ethnicity_code: str) -> tuple[str, str]:
    """Return ``(given_name_background, family_name_background)`` for a code.

    Single-heritage codes give the same background twice; mixed codes may differ.
    """
    code = ethnicity_code.upper()
    if code not in ETHNICITY_DISTRIBUTION:
        raise ValueError(f"unknown ethnicity code {ethnicity_code!r}")
    while code in _UNRECORDED:
        code = make_ethnicity_code(rng)
    if code in _MIXED:
        pool = _MIXED[code]
        first = _pick_weighted(rng, pool)
        others = [(k, w) for k, w in pool if k != first]
        second = _pick_weighted(rng, others)
        # Either parent's background may supply the family name.
        return (first, second) if rng.random() < 0.5 else (second, first)
    bg = _pick_weighted(rng, _SINGLE[code])
    return bg, bg


_POLISH_FEMININE: Final = (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka"))


# Many Bangladeshi women and girls are registered with Begum or Khatun as the family name.
_BANGLADESHI_FEMALE_FAMILY: Final = ("Begum", "Khatun")


def _family_for_sex(rng: random.Random, family: str, background: str, sex: str) -> str:
    if background == "bangladeshi" and sex == "F" and rng.random() < 0.2:
        return rng.choice(_BANGLADESHI_FEMALE_FAMILY)
    if background == "polish" and sex == "F":
        for masc, fem in _POLISH_FEMININE:
            if family.endswith(masc):
                return family[: -len(masc)] + fem
    return family


def make_name(rng: random.Random, sex: str, ethnicity_code: str) -> tuple[str, str]:
    """Return a synthetic ``(given_name, family_name)`` for a child.

    ``sex`` is a CIN sex code: ``"M"``, ``"F"`` or ``"U"`` (unknown/unborn, which draws
    from either list).  ``ethnicity_code`` is a CIN code from :data:`ETHNICITY_CODES`.
    Deterministic for a given ``rng`` state.
    """
    sex_code = sex.upper()
    if sex_code not in SEX_CODES:
        raise ValueError(f"unknown sex code {sex!r}")
    given_bg, family_bg = background_for(rng, ethnicity_code)
    if sex_code == "U":
        sex_code = "M" if rng.random() < 0.5 else "F"
    given_pool = BACKGROUNDS[given_bg].male if sex_code == "M" else BACKGROUNDS[given_bg].female
    given = rng.choice(given_pool)
    family = _family_for_sex(rng, rng.choice(BACKGROUNDS[family_bg].family), family_bg, sex_code)
    return given, family
